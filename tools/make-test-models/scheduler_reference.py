#!/usr/bin/python3
# Independent float64 numpy reference for SchedulerTests (diffusers formulas). Run: /usr/bin/python3 scheduler_reference.py
import numpy as np
np.set_printoptions(precision=10, floatmode='maxprec')
N=1000
def ac_scaled(bs=0.00085, be=0.012):
    betas = np.linspace(bs**0.5, be**0.5, N)**2
    return np.cumprod(1-betas)
ac = ac_scaled()
train_sig = ((1-ac)/ac)**0.5
log_sig = np.log(train_sig)
def sigma_to_t(s):
    ls = np.log(max(s,1e-10)); d = ls - log_sig
    lo = np.cumsum(d>=0).argmax().clip(max=N-2); hi=lo+1
    w = np.clip((log_sig[lo]-ls)/(log_sig[lo]-log_sig[hi]),0,1)
    return (1-w)*lo + w*hi
def karras(smin, smax, n, rho=7.0):
    ramp=np.linspace(0,1,n); return (smax**(1/rho) + ramp*(smin**(1/rho)-smax**(1/rho)))**rho
def p(name, a): print(name, ', '.join(repr(float(x)) for x in np.atleast_1d(a)))

x = np.array([1.0, -0.5, 0.25]); m = np.array([0.1, 0.2, -0.3]); m2 = np.array([-0.2, 0.05, 0.4])
# Euler trailing 4 steps
ts = (np.arange(N, 0, -N/4)).round() - 1
sig = np.concatenate([np.interp(ts, np.arange(N), train_sig), [0]])
p('euler_trailing_ts', ts); p('euler_trailing_sig', sig); p('euler_trailing_init', sig.max())
p('euler_trailing_scale0', 1/np.sqrt(sig[0]**2+1))
# epsilon step 0: x0 = x - s*m ; d = (x-x0)/s ; x + d*(s1-s0)
s0,s1 = sig[0], sig[1]
x0 = x - s0*m; p('euler_eps_step0', x + (x-x0)/s0*(s1-s0))
x0v = m*(-s0/(s0**2+1)**0.5) + x/(s0**2+1); p('euler_v_step0', x + (x-x0v)/s0*(s1-s0))
# Euler leading offset 1, 5 steps
ts = (np.arange(0,5)*(N//5)).round()[::-1] + 1
sig = np.concatenate([np.interp(ts, np.arange(N), train_sig), [0]])
p('euler_leading_ts', ts); p('euler_leading_sig', sig); p('euler_leading_init', (sig.max()**2+1)**0.5)
# Euler linspace 3 steps
ts = np.linspace(0, N-1, 3)[::-1]; p('euler_linspace_ts', ts); p('euler_linspace_sig', np.interp(ts, np.arange(N), train_sig))
# Euler karras (leading offset 1, 5 steps)
ts = (np.arange(0,5)*(N//5)).round()[::-1] + 1
s = np.interp(ts, np.arange(N), train_sig)
ks = karras(s[-1], s[0], 5); p('euler_karras_sig', ks); p('euler_karras_ts', [sigma_to_t(v) for v in ks])
# Euler ancestral trailing 4 steps, step 0 deterministic part and sigma_up
ts = (np.arange(N, 0, -N/4)).round() - 1
sig = np.concatenate([np.interp(ts, np.arange(N), train_sig), [0]])
sf, st = sig[0], sig[1]
su = (st**2*(sf**2-st**2)/sf**2)**0.5; sd = (st**2-su**2)**0.5
x0 = x - sf*m; p('eulera_det_step0', x + (x-x0)/sf*(sd-sf)); p('eulera_sigma_up0', su)
# LCM 4 steps, original 50
k = N//50; origin = np.asarray(list(range(1, 51)))*k - 1; origin = origin[::-1]
idx = np.floor(np.linspace(0, len(origin), num=4, endpoint=False)).astype(np.int64)
lts = origin[idx]; p('lcm_ts', lts)
def scal(t):
    sc = t*10.0; return 0.25/(sc**2+0.25), sc/(sc**2+0.25)**0.5
# last step (index 3), deterministic; set_alpha_to_one False in SD configs doesn't matter on the last step
t = lts[3]; a = ac[t]; cs, co = scal(t)
x0 = (x - (1-a)**0.5*m)/a**0.5; p('lcm_last_step', co*x0 + cs*x)
# step 0: deterministic part sqrt(a_prev)*denoised, noise scale sqrt(1-a_prev)
t = lts[0]; a = ac[t]; cs, co = scal(t); ap = ac[lts[1]]
x0 = (x - (1-a)**0.5*m)/a**0.5; den = co*x0 + cs*x
p('lcm_step0_det', ap**0.5*den); p('lcm_step0_noise_scale', (1-ap)**0.5)
# DPM++ 2M Karras, 5 steps, linspace spacing, scaled_linear
ks = karras(train_sig[0], train_sig[-1], 5)
dts = np.array([sigma_to_t(v) for v in ks]).round()
dsig = np.concatenate([ks, [0.0]])
p('dpm_karras_ts', dts); p('dpm_karras_sig', dsig)
def asig(s): a = 1/(s**2+1)**0.5; return a, s*a
def lam(s): a, sg = asig(s); return np.log(a)-np.log(sg)
# step 0 first order with model m on sample x (epsilon)
a0, sg0 = asig(dsig[0]); a1, sg1 = asig(dsig[1])
D0 = (x - sg0*m)/a0; h = lam(dsig[1]) - lam(dsig[0])
xa = (sg1/sg0)*x - a1*(np.exp(-h)-1)*D0; p('dpm_step0', xa)
# step 1 second order with model m2 on xa
a2, sg2 = asig(dsig[2])
D1new = (xa - sg1*m2)/a1
h = lam(dsig[2]) - lam(dsig[1]); h0 = lam(dsig[1]) - lam(dsig[0]); r0 = h0/h
Dd = (1/r0)*(D1new - D0)
xb = (sg2/sg1)*xa - a2*(np.exp(-h)-1)*D1new - 0.5*a2*(np.exp(-h)-1)*Dd; p('dpm_step1', xb)
# DPM non-karras linspace 5 steps
lts5 = np.linspace(0, N-1, 6).round()[::-1][:-1].copy().astype(np.int64); p('dpm_linspace_ts', lts5)
p('dpm_linspace_sig', np.interp(lts5, np.arange(N), train_sig))
# Flow match shift 3, 4 steps, sigma_min overridden to 0 (Z-Image)
shift=3.0
t = np.linspace(1.0*N, 0.0, 4); s = t/N; s = shift*s/(1+(shift-1)*s)
p('flow_zimage_sig', np.concatenate([s,[0]])); p('flow_zimage_ts', s*N)
# default sigma_min: shifted 1/N
smin = shift*(1/N)/(1+(shift-1)*(1/N))
t = np.linspace(1.0*N, smin*N, 4); s = t/N; s = shift*s/(1+(shift-1)*s)
p('flow_default_sig', s)
p('flow_step0', x + (s[1]-s[0])*m)
