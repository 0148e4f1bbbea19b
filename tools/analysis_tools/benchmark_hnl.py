"""Peak memory and time of the HTCorrM HNL module, dense vs query-chunked.

Usage::

    python tools/analysis_tools/benchmark_hnl.py [--size 96] [--channels 512]
        [--chunks 0 2304 1024] [--batch 1] [--backward] [--threads 1]

Each setting runs in a fresh Python process (so one run's allocations do
not hide another's); the peak is the growth of the process's maximum
resident set size (``resource.getrusage``) over the forward (and, with
``--backward``, backward) pass of ``HeterogeneousNonLocal`` on CPU, after
the inputs and the module exist. Chunk 0 is the dense module. On a CUDA
machine ``--device cuda`` reports ``torch.cuda.max_memory_allocated``
instead. The (L, L) affinity at 96 x 96 has 85 M entries, 340 MB in
float32, per image.
"""
import argparse
import json
import resource
import subprocess
import sys
import time


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def worker(args) -> dict:
    """One measurement in this process."""
    import torch

    from mmhumanparse.models.utils.heterogeneous_non_local import \
        HeterogeneousNonLocal
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    c, s, n = args.channels, args.size, args.batch
    hnl = HeterogeneousNonLocal(c, c, c, chunk_size=args.chunk
                                or None).to(args.device)
    grad = args.backward
    main = torch.randn(n, c, s, s, device=args.device, requires_grad=grad)
    tasks = [torch.randn(n, c, s, s, device=args.device) for _ in range(3)]
    ctx = torch.enable_grad() if grad else torch.no_grad()
    # warm-up at a small size loads kernels outside the measurement
    with ctx:
        hnl(main[..., :8, :8], [t[..., :8, :8] for t in tasks])
    if args.device == 'cuda':
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.max_memory_allocated() / 2**20
    else:
        base = _rss_mb()
    t0 = time.perf_counter()
    with ctx:
        out = hnl(main, tasks)
        if grad:
            out.square().mean().backward()
    if args.device == 'cuda':
        torch.cuda.synchronize()
        peak = torch.cuda.max_memory_allocated() / 2**20
    else:
        peak = _rss_mb()
    return dict(chunk=args.chunk,
                seconds=round(time.perf_counter() - t0, 3),
                peak_mb=round(peak - base, 1))


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--size', type=int, default=96, help='H = W of F_m')
    p.add_argument('--channels', type=int, default=512, help='C (Sec. 4.2)')
    p.add_argument('--batch', type=int, default=1)
    p.add_argument('--chunks',
                   type=int,
                   nargs='+',
                   default=[0, 2304, 1024],
                   help='query chunk sizes; 0 = dense')
    p.add_argument('--backward',
                   action='store_true',
                   help='measure forward + backward (training)')
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--device', default='cpu')
    p.add_argument('--chunk', type=int, default=None, help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv=None):
    start = time.perf_counter()
    args = parse_args(argv)
    if args.chunk is not None:  # child process
        print(json.dumps(worker(args)))
        return
    from mmengine.utils import ProgressBar
    bar = ProgressBar(len(args.chunks), file=sys.stderr)  # one per process
    rows = []
    for chunk in args.chunks:
        cmd = [
            sys.executable, __file__, '--chunk',
            str(chunk), '--size',
            str(args.size), '--channels',
            str(args.channels), '--batch',
            str(args.batch), '--threads',
            str(args.threads), '--device', args.device
        ] + (['--backward'] if args.backward else [])
        out = subprocess.run(cmd, check=True, capture_output=True, text=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        bar.update()
    sys.stderr.write('\n')
    length = args.size**2
    mode = 'forward + backward' if args.backward else 'forward (no grad)'
    print(f'HNL {mode}, N={args.batch}, C={args.channels}, '
          f'{args.size}x{args.size} (L={length}, dense affinity '
          f'{args.batch * length**2 * 4 / 2**20:.0f} MB), {args.device}')
    print(f'{"chunk":>8} {"peak MB":>10} {"seconds":>8}')
    for r in rows:
        name = 'dense' if not r['chunk'] else str(r['chunk'])
        print(f'{name:>8} {r["peak_mb"]:>10.1f} {r["seconds"]:>8.3f}')
    print(f'benchmark_hnl: {len(rows)} settings, one process each, in '
          f'{time.perf_counter() - start:.1f} s; table above')
    return rows


if __name__ == '__main__':
    main()
