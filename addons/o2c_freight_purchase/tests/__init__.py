from . import test_expedited_purchase
