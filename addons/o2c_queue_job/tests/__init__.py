from . import test_queue_setup
from . import test_auto_invoice_jobs
from . import test_escalation_jobs
