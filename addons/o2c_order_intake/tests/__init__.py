from . import test_order_import
from . import test_import_performance
from . import test_confirmation_job
from . import test_confirmation_queue_job
from . import test_retry_tour
