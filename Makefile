# mmhumanparse: two commands do all set-up on a fresh machine with Python 3.11.
#   make demo   train + evaluate a small model on generated toy LIP data
#               (make demo-multi-person: the toy RP R-CNN on toy CIHP)
#   make test   lint (flake8, isort with setup.cfg), then the test suite
#   make lint   the lint step alone
PYTHON ?= python3.11
TORCH ?= torch==2.13.0
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed

.PHONY: install demo demo-multi-person lint test test-slow clean

install: $(STAMP)

$(STAMP): setup.py requirements/runtime.txt requirements/mminstall.txt requirements/tests.txt
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) on PATH (or pass PYTHON=...)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip wheel
	$(PIP) install -q "$(TORCH)"
	$(PIP) install -q "setuptools>=77,<81" ninja
	$(PIP) install -q -r requirements/runtime.txt -r requirements/tests.txt
	# the mim CLI without its opendatalab dependency, whose openxlab pins
	# setuptools 60 and requests 2.28 (tests.txt lists what mim imports)
	$(PIP) install -q --no-deps openmim==0.3.9
	$(PIP) install -q mmengine==0.10.7
	@echo "building mmcv 2.1.0 with ops (about 9 min on 2 cores the first time; pip caches the wheel)"
	MMCV_WITH_OPS=1 MAX_JOBS=$${MAX_JOBS:-2} $(PIP) install --no-build-isolation mmcv==2.1.0
	$(PIP) install -q mmdet==3.3.0 mmsegmentation==1.2.2
	$(PIP) install -q --no-build-isolation --no-deps -e .
	$(PY) -c "import mmhumanparse, mmcv.ops; print('mmhumanparse', mmhumanparse.__version__, 'installed')"
	touch $(STAMP)

demo: $(STAMP)
	$(PY) tools/demo.py --work-dir work_dirs/demo

demo-multi-person: $(STAMP)
	$(PY) tools/demo.py --multi-person --work-dir work_dirs/demo_multi_person

lint: $(STAMP)
	$(PY) -m flake8
	$(PY) -m isort --check-only --diff .

test: $(STAMP) lint
	$(PY) -m pytest tests -q -p no:cacheprovider -m "not slow" --durations=15

# held-out learning tests (each <= 5 min on 2 idle cores); SLOW_TESTS picks
# a subset, e.g. `make test-slow SLOW_TESTS=tests/test_models/test_segmentors`
SLOW_TESTS ?= tests
test-slow: $(STAMP)
	$(PY) -m pytest $(SLOW_TESTS) -q -p no:cacheprovider -m slow --durations=15

clean:
	rm -rf $(VENV) work_dirs build *.egg-info mmhumanparse/.mim
