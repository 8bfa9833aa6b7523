# o2c: the two commands of the README, plus lint and bench.

.PHONY: run test test-odoo test-upgrade lint bench env install-each

run:            ## serve Odoo with o2c and demo data on http://localhost:8069
	@bash setup/o2c.sh run

test:           ## fresh database, every o2c test (pytest-odoo), summary line
	@bash setup/o2c.sh test

test-odoo:      ## Odoo's own sale/stock/account/helpdesk suites with every o2c addon installed
	@bash setup/o2c.sh test-odoo

test-upgrade:   ## a database of an earlier o2c upgraded with -u all: queue, types and approvals kept
	@bash setup/o2c.sh test-upgrade

lint:           ## pre-commit on every file (ruff, ruff-format, pylint-odoo)
	@bash setup/o2c.sh lint

bench:          ## the cost of control: o2c vs vanilla Odoo vs OCA peers (QUICK=1 for tiny sizes)
	@bash setup/o2c.sh bench $(if $(QUICK),--quick,)

env:            ## only create/refresh the Python environment
	@bash setup/o2c.sh env

install-each:   ## install every addon alone on a fresh database
	@bash setup/o2c.sh install-each
