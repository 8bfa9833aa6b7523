#!/bin/bash
# Install the o2c Python requirements (OCA helpdesk_mgmt, queue_job), initialise
# o2c_demo once, then hand over to the official Odoo entrypoint with the o2c
# configuration (docker/odoo.conf: workers, cron threads, queue_job runner).
set -e
pip install --user --break-system-packages -q -r /mnt/o2c-requirements.txt
ADDONS=$(cd /mnt/extra-addons/o2c && ls -d o2c_*/ | tr -d / | paste -sd, -)
CONF=/etc/odoo/o2c.conf
if [ ! -f /var/lib/odoo/.o2c-initialised ]; then
    # one process, no HTTP: the install must not race the workers or the job runner
    /entrypoint.sh odoo -c "$CONF" --workers=0 --max-cron-threads=0 --no-http \
        -d o2c_demo -i "$ADDONS" --stop-after-init
    touch /var/lib/odoo/.o2c-initialised
fi
exec /entrypoint.sh odoo -c "$CONF" -d o2c_demo
