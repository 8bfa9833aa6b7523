# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "O2C Queue Jobs",
    "summary": "Runs the o2c background work as OCA queue jobs on channels: one job "
    "per batch, retried with backoff, parked with its reason",
    "version": "18.0.1.0.0",
    "category": "Sales/Order to Cash",
    "website": "https://github.com/o2c-odoo/o2c",
    "author": "o2c contributors",
    "license": "AGPL-3",
    "depends": ["o2c_exception_base", "queue_job"],
    "data": [
        "data/queue_job_channel_data.xml",
        "data/queue_job_function_data.xml",
    ],
    "auto_install": True,
    "installable": True,
}
