from . import test_auto_invoice
from . import test_auto_invoice_concurrency
from . import test_dashboard
from . import test_delivery_proof
from . import test_override
from . import test_performance
from . import test_pod_aging
from . import test_release_policy
