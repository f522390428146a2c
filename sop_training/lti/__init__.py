"""LTI 1.3 tool: platform registration, keys, launches, deep linking and grade passback."""
