"""stigmacards: conversation cards for facilitated dialogue sessions about stigma."""

__version__ = "0.1.0"
