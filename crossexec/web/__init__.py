"""`crossexec serve`: the HTTP API (app.py), its solver processes (pool.py), what each request
computes (service.py), what the workbench shows besides answers (library.py), and the page
(static/)."""
