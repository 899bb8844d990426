# Licensed under the Apache License, Version 2.0 (see LICENSE).
import setuptools

setuptools.setup(setup_requires=['pbr>=5.8.0'], pbr=True)
