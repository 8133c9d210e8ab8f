"""aelab's Python side: read a results folder (aelab.results) and draw its figures (aelab.plots).

Run with Debian's /usr/bin/python3 (python3-h5py, python3-pandas, python3-matplotlib).
"""
