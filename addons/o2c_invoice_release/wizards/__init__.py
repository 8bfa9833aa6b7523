from . import o2c_delivery_proof_reject_wizard
from . import sale_make_invoice_advance
