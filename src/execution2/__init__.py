"""Execution 2.0: can an organization execute its strategy, and what should it fix first?"""

__version__ = "0.1.0"
