from . import o2c_exception_decision_wizard
