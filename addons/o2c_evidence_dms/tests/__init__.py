from . import test_file_evidence
