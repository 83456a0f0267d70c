"""`crossexec init [FILE]`: a commented starting scenario that `crossexec ask` answers.

The first line points the YAML language server (VS Code's YAML extension and others) at the JSON
Schema of the format, by a path relative to the file written, so keys and values are completed
and checked in the editor."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from . import ROOT
from .errors import InputError
from .scenario_format import SCHEMA

TEMPLATE = """\
# yaml-language-server: $schema={schema}
# crossexec 情形文件 / scenario file. 格式说明 / format: docs/scenario-format.md
# 提问 / ask:      crossexec ask {name}
# 证明 / prove:    crossexec why {name} "may 杭州中院 elevate c1"
# 每个键的含义见格式说明；未知的键会报错（退出码 2）。Unknown keys are errors (exit code 2).

name: 某科技公司执行案（示例）          # 情形名称 / a name for this scenario
as_of: 2024-09-30                       # 提问之日 / the day the question is asked (YYYY-MM-DD)

# 法院 / courts: `national` = 全国法院名录 (facts/courts/); 也可以列出法院 / or list them:
#   - {{id: hz, name: 浙江省杭州市中级人民法院, level: intermediate, parent: zj}}
courts: national

parties:
  - id: 某科技公司                      # 当事人 / party
    kind: enterprise                    # enterprise 企业法人 | individual 公民 | organization 其他组织
    domicile: 杭州市西湖区人民法院       # 住所地法院 / the court whose area holds the domicile
    insolvent: false                    # 资不抵债或明显缺乏清偿能力 / unable to pay its debts

cases:
  - id: c1                              # 案件标识 / case id
    number: (2023)浙0106执1234号        # 案号（显示用）/ case number, for display
    court: 杭州市西湖区人民法院           # 现执行法院：全称或常用简称，须唯一 / the executing court (full or short name)
    filed: 2023-12-01                   # 立案日期 / filing day
    obligation: money                   # money 金钱给付 | conduct 行为义务
    applicants: [王某]                  # 申请执行人 / applicants
    debtor: 某科技公司                  # 被执行人（parties 中的 id）/ the debtor
    circumstances: [illegal_interference]   # 法院查明的情形，见词表 / findings, see the vocabulary
    assets:
      - id: a1
        location: 杭州市余杭区人民法院   # 财产所在地法院 / where the asset is
        found: 2023-12-01               # 发现之日 / the day it became known
        main: true                      # 主要财产 / main asset
    excluded_periods: []                # 不计入六个月的期间 / e.g. {{from: 2024-01-05, to: 2024-02-05, reason: appraisal}}
    events: []                          # 事件，按日期先后 / e.g. {{date: 2024-08-01, type: objection, by: debtor}}

# 已作出的决定，按日期先后 / decisions already made, oldest first, e.g.
#   - {{kind: instruct, by: 杭州中院, case: c1, date: 2024-09-27, received: 2024-09-27, to: 杭州市余杭区人民法院}}
decisions: []
"""


def starter(target: Path | None) -> str:
    """The template, its schema path relative to where it will be written (or to the current folder)."""
    folder = (target.resolve().parent if target else Path.cwd())
    inside = folder == ROOT or ROOT in folder.parents      # a path relative to the file inside the
    schema = Path(os.path.relpath(SCHEMA, folder)).as_posix() if inside else SCHEMA.as_posix()  # repo
    name = target.name if target else "my-case.yaml"
    return TEMPLATE.format(schema=schema, name=name)


def run_init(args) -> int:
    if not args.file:
        sys.stdout.write(starter(None))
        return 0
    target = Path(args.file)
    if target.exists() and not args.force:
        raise InputError(str(target), "", "the file exists; choose another name or add --force to overwrite it")
    if not target.parent.is_dir():
        raise InputError(str(target), "", f"no such folder {str(target.parent)!r}")
    target.write_text(starter(target), encoding="utf-8")
    print(f"wrote {target}; next: crossexec ask {target}", file=sys.stderr)
    return 0
