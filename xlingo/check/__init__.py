"""Stage 6, check: the rule catalogue and the runner."""
from xlingo.check.base import RULES, CheckContext, Rule, all_rules, register

__all__ = ["RULES", "CheckContext", "Rule", "all_rules", "register"]
