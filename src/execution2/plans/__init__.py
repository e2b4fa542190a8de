"""The strategic plan, delegation and execution tracking, resources and return, ideas."""
