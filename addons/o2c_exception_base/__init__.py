from . import controllers
from . import models
from . import wizards
from . import tools
from .hooks import pre_init_hook, post_init_hook
