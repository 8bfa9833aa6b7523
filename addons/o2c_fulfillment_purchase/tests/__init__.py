from . import test_common
from . import test_incoming_supply
from . import test_backorder
from . import test_multi_warehouse
