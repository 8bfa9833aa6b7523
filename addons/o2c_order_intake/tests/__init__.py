from . import test_order_import
from . import test_import_performance
