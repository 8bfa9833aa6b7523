# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, Command, api
from odoo.addons.o2c_exception_base.hooks import backfill_order_channels


def migrate(cr, version):
    """Existing orders get a channel; the shipped EDI class matches on the channel
    (its data record is not updated) unless an administrator rescoped it."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    backfill_order_channels(env)
    edi_class = env.ref("o2c_exception_base.o2c_order_class_edi", raise_if_not_found=False)
    source = env.ref("o2c_exception_base.utm_source_edi", raise_if_not_found=False)
    channel = env.ref("o2c_exception_base.o2c_sale_channel_edi", raise_if_not_found=False)
    if edi_class and channel and not edi_class.channel_ids and edi_class.source_ids == source:
        edi_class.write(
            {"channel_ids": [Command.link(channel.id)], "source_ids": [Command.clear()]}
        )
