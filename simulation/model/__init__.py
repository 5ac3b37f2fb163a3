"""The model layer: state, random streams, components, the day plan, the engine and the Mesa agents."""

from .engine import AttachmentModel

__all__ = ["AttachmentModel"]
