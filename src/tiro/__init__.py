"""tiro — Trade, Industry and Resources Operations.

The policy machinery of Korea's industry, trade and resources administration as software.
"""

__version__ = "0.1.0"
