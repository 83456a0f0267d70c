"""crossexec: 最高人民法院《关于交叉执行工作的指导意见》(法发〔2024〕9号) as answer-set programs.

Data flow, one module per step: load → encode → solve → explain → render → cli."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent   # the repository (rules/ and facts/ live here)
RULES = ROOT / "rules"
FACTS = ROOT / "facts"
__version__ = "0.1.0"
