"""pytest's collection: modules of optional extras are left out without them."""

import importlib.util

# --doctest-modules imports every module of skact; skact.onnx_export needs
# skl2onnx (the onnx extra), which the README's test command does not install.
collect_ignore = []
if importlib.util.find_spec("skl2onnx") is None:
    collect_ignore.append("skact/onnx_export.py")
