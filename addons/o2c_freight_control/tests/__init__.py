from . import test_order_freight
from . import test_picking_freight
from . import test_attack
from . import test_policy
from . import test_performance
