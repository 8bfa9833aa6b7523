from . import base
from . import o2c_batch
from . import ir_config_parameter
