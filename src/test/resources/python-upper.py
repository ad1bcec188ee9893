"""Writes python-upper.txt: the reference upper-case mapping (Python's str.upper()) that Utf8UpperTest checks against."""
import sys
import unicodedata
from pathlib import Path

lines = []
for cp in range(0x110000):
    if 0xD800 <= cp <= 0xDFFF:
        continue
    upper = chr(cp).upper()
    if upper != chr(cp):
        lines.append('%04X %s' % (cp, ' '.join('%04X' % ord(u) for u in upper)))
out = Path(__file__).with_name('python-upper.txt')
with out.open('w') as f:
    f.write('# Python %s str.upper() (Unicode %s): every code point whose upper case differs, and that upper case\n'
            % (sys.version.split()[0], unicodedata.unidata_version))
    f.write('# Regenerate with python3 src/test/resources/python-upper.py\n')
    f.write('\n'.join(lines) + '\n')
