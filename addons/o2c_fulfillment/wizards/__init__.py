from . import o2c_substitute_wizard
from . import o2c_consent_wizard
from . import o2c_backorder_cancel_wizard
from . import stock_backorder_confirmation
