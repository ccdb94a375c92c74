"""Reference values for stats.test.ts, computed with scipy/numpy (python3 reference.py).

The datasets are the same closed-form sequences the test builds in TypeScript.
"""
import json
import math
import numpy as np
from scipy import stats

out = {}

# Welch's t-test
a = [((i * 37) % 101) / 10 for i in range(1, 41)]
b = [((i * 53) % 97) / 10 + 0.8 for i in range(1, 56)]
r = stats.ttest_ind(a, b, equal_var=False)
ci = r.confidence_interval(0.95)
out['welch'] = dict(t=r.statistic, p=r.pvalue, df=r.df, lo=ci.low, hi=ci.high, diff=np.mean(a) - np.mean(b))
r = stats.ttest_ind([1, 2, 3], [2, 4, 7, 9], equal_var=False)
ci = r.confidence_interval(0.95)
out['welch_tiny'] = dict(p=r.pvalue, lo=ci.low, hi=ci.high)

# two-proportion z-test: 150/1000 vs 120/1000 (pooled z for p, Wald interval)
x1, n1, x2, n2 = 150, 1000, 120, 1000
p1, p2, pp = x1 / n1, x2 / n2, (x1 + x2) / (n1 + n2)
z = (p1 - p2) / math.sqrt(pp * (1 - pp) * (1 / n1 + 1 / n2))
se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
q = stats.norm.ppf(0.975)
out['prop'] = dict(z=z, p=2 * stats.norm.sf(abs(z)), lo=p1 - p2 - q * se, hi=p1 - p2 + q * se)

# delta-method ratio: per customer x (numerator sum) and y (denominator sum)
def ratio_side(n, shift):
    y = np.array([1 + (i * 7) % 4 for i in range(n)], dtype=float)
    x = np.array([((i * 13 + shift) % (int(yi) * 5 + 1)) for i, yi in enumerate(y)], dtype=float)
    return x, y
def delta(x, y):
    n = len(x)
    r = x.sum() / y.sum()
    c = np.cov(x, y, ddof=1)
    var = (c[0, 0] - 2 * r * c[0, 1] + r * r * c[1, 1]) / (n * y.mean() ** 2)
    return r, var
xa, ya = ratio_side(300, 5)
xb, yb = ratio_side(280, 0)
ra, va = delta(xa, ya)
rb, vb = delta(xb, yb)
se = math.sqrt(va + vb)
d = ra - rb
out['delta'] = dict(ra=ra, rb=rb, diff=d, se=se, p=2 * stats.norm.sf(abs(d / se)), lo=d - q * se, hi=d + q * se)
# sanity: the cluster bootstrap's standard error of the ratio difference agrees with the delta method's
rng = np.random.default_rng(1)
reps = []
for _ in range(4000):
    ia = rng.integers(0, len(xa), len(xa)); ib = rng.integers(0, len(xb), len(xb))
    reps.append(xa[ia].sum() / ya[ia].sum() - xb[ib].sum() / yb[ib].sum())
out['delta']['bootstrap_se'] = float(np.std(reps, ddof=1))

# SRM: chi-square goodness of fit against the weights
r = stats.chisquare([5000, 5210], f_exp=[5105, 5105])
out['srm2'] = dict(chi=r.statistic, p=r.pvalue)
r = stats.chisquare([1000, 980, 2100], f_exp=[1020, 1020, 2040])
out['srm3'] = dict(chi=r.statistic, p=r.pvalue)
r = stats.chisquare([5000, 5400], f_exp=[5200, 5200])
out['srm_bad'] = dict(chi=r.statistic, p=r.pvalue)

# bootstrap percentile CI of a median / P90 difference, one ticket per customer
ba = np.array([math.exp(((i * 37) % 101) / 25) for i in range(1, 201)])
bb = np.array([1.3 * math.exp(((i * 53) % 97) / 25) for i in range(1, 181)])
for name, qq in (('boot_p50', 0.5), ('boot_p90', 0.9)):
    res = stats.bootstrap((ba, bb), lambda x, y, axis=-1: np.quantile(x, qq, axis=axis) - np.quantile(y, qq, axis=axis),
                          method='percentile', n_resamples=20000, random_state=np.random.default_rng(7), vectorized=True)
    out[name] = dict(value=float(np.quantile(ba, qq)), baseline=float(np.quantile(bb, qq)),
                     lo=float(res.confidence_interval.low), hi=float(res.confidence_interval.high), se=float(res.standard_error))

# GrowthBook's sequential confidence interval half-width (docs formula), for the duality check
def gb_half(se, n, alpha=0.05, tuning=5000):
    rho = math.sqrt((-2 * math.log(alpha) + math.log(-2 * math.log(alpha) + 1)) / tuning)
    return se * math.sqrt(2 * (n * rho**2 + 1) / (n * rho**2) * math.log(math.sqrt(n * rho**2 + 1) / alpha))
out['seq'] = dict(half_1000=gb_half(0.01, 1000), half_100000=gb_half(0.01, 100000))

print(json.dumps(out, indent=1))
