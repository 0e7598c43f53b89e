"""Offline stand-in for the get-pip.py that ansible-test downloads.

ansible-test bootstraps pip into each sanity venv with a get-pip script
fetched from a host this network does not reach. This one does the same from
what is here: pip from the interpreter's own ensurepip wheel, then
`pip install` of the packages ansible-test asks for, from the package index.
"""

import ensurepip
import os
import subprocess
import sys

GET_PIP_ONLY = {"--no-setuptools", "--no-wheel"}  # get-pip flags pip itself lacks

env = dict(os.environ)  # ensurepip hides the pip configuration (index, CA) from pip
ensurepip.bootstrap()
args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY]
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install", "-q"] + args, env=env))
