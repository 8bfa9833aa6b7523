from . import o2c_credit_release_wizard
