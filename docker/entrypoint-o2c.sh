#!/bin/bash
# Install the o2c Python requirements (OCA helpdesk_mgmt), initialise o2c_demo once,
# then hand over to the official Odoo entrypoint.
set -e
pip install --user --break-system-packages -q -r /mnt/o2c-requirements.txt
ADDONS=$(cd /mnt/extra-addons/o2c && ls -d o2c_*/ | tr -d / | paste -sd, -)
if [ ! -f /var/lib/odoo/.o2c-initialised ]; then
    /entrypoint.sh odoo --db_host="$HOST" --db_user="$USER" --db_password="$PASSWORD" \
        --addons-path=/usr/lib/python3/dist-packages/odoo/addons,/mnt/extra-addons/o2c \
        -d o2c_demo -i "$ADDONS" --stop-after-init
    touch /var/lib/odoo/.o2c-initialised
fi
exec /entrypoint.sh odoo --db_host="$HOST" --db_user="$USER" --db_password="$PASSWORD" \
    --addons-path=/usr/lib/python3/dist-packages/odoo/addons,/mnt/extra-addons/o2c \
    -d o2c_demo --db-filter='^o2c_demo$'
