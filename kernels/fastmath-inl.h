// Fast float versions of exp (for x <= 0), 1/a and tanh, per Highway target.
// Double precision uses Highway's contrib/math (Exp, Tanh) and division.
//
// Error contracts (float, against the correctly rounded value):
//   ExpNonPositive: <= 2 ulp for x in [-87.3, 0] (normal results), exact
//     flush through the subnormal range down to e^-104, 0 below; NaN stays
//     NaN. Cody-Waite reduction, the degree-6 polynomial of Cephes' expf,
//     and an exact scaling by 2^n.
//   Reciprocal: <= 1 ulp (hardware estimate + one Newton step).
//   TanhFloat: <= 4 ulp (the tests measure it against a double tanh).
#if defined(FFNN_KERNELS_FASTMATH_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef FFNN_KERNELS_FASTMATH_INL_H_
#undef FFNN_KERNELS_FASTMATH_INL_H_
#else
#define FFNN_KERNELS_FASTMATH_INL_H_
#endif

#include "hwy/contrib/math/math-inl.h"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace ffnn::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

template <class D>
constexpr bool IsF32() {
  return sizeof(hn::TFromD<D>) == 4;
}

// max(lo, x) and min(hi, x) that return x when x is NaN. x86's max/min
// return their second operand when either is NaN, which is exactly that;
// Highway's scalar target returns the non-NaN operand instead, so it checks.
template <class D, class V>
HWY_INLINE V MaxKeepNaN([[maybe_unused]] D d, V lo, V x) {
#if HWY_TARGET == HWY_SCALAR
  return hn::IfThenElse(hn::Eq(x, x), hn::Max(lo, x), x);
#else
  return hn::Max(lo, x);
#endif
}
template <class D, class V>
HWY_INLINE V MinKeepNaN([[maybe_unused]] D d, V hi, V x) {
#if HWY_TARGET == HWY_SCALAR
  return hn::IfThenElse(hn::Eq(x, x), hn::Min(hi, x), x);
#else
  return hn::Min(hi, x);
#endif
}

// p * 2^n for integral-valued n in [-150, 0].
#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
// AVX-512 scales in one instruction (vscalefps), subnormals included.
HWY_INLINE hn::Vec512<float> ScaleByPow2(hn::Full512<float>,
                                         hn::Vec512<float> p,
                                         hn::Vec512<float> n) {
  return hn::Vec512<float>{_mm512_scalef_ps(p.raw, n.raw)};
}
template <size_t N>
HWY_INLINE hn::Vec128<float, N> ScaleByPow2(hn::Simd<float, N, 0>,
                                            hn::Vec128<float, N> p,
                                            hn::Vec128<float, N> n) {
  return hn::Vec128<float, N>{_mm_scalef_ps(p.raw, n.raw)};
}
#else
// Elsewhere: two exact multiplications by normal powers of two, 2^n1 2^n2
// with n1 = floor(n / 2), n2 = n - n1 >= -75, since 2^n itself is not a
// normal float below 2^-126.
template <class D, class V>
HWY_INLINE V ScaleByPow2(D d, V p, V n) {
  const hn::RebindToSigned<D> di;
  const auto ni = hn::ConvertTo(di, n);  // exact: n is integral and small
  const auto n1 = hn::ShiftRight<1>(ni);
  const auto n2 = hn::Sub(ni, n1);
  const auto bias = hn::Set(di, 127);
  const V s1 = hn::BitCast(d, hn::ShiftLeft<23>(hn::Add(n1, bias)));
  const V s2 = hn::BitCast(d, hn::ShiftLeft<23>(hn::Add(n2, bias)));
  return hn::Mul(hn::Mul(p, s1), s2);
}
#endif

//! [exp_nonpositive]
// e^x for x <= 0.
template <class D, class V>
HWY_INLINE V ExpNonPositive(D d, V x) {
  if constexpr (!IsF32<D>()) {
    // Highway 1.0.3's Exp returns 0 for NaN (its lower-bound mask is false
    // for NaN); keep the NaN instead.
    return hn::IfThenElse(hn::Eq(x, x), hn::Exp(d, x), x);
  } else {
    // Below -104, e^x rounds to 0.
    x = MaxKeepNaN(d, hn::Set(d, -104.0f), x);
    // n = round(x / ln 2): adding 1.5 * 2^23 rounds to an integer.
    const V kMagic = hn::Set(d, 12582912.0f);
    const V n = hn::Sub(hn::MulAdd(x, hn::Set(d, 1.44269504088896341f), kMagic),
                        kMagic);
    // r = x - n ln 2 in two parts (Cody-Waite), |r| <= ln(2) / 2.
    V r = hn::MulAdd(n, hn::Set(d, -0.693359375f), x);
    r = hn::MulAdd(n, hn::Set(d, 2.12194440e-4f), r);
    // e^r = 1 + r + r^2 p(r), p from Cephes expf, evaluated by Estrin's
    // scheme (pairs first) to shorten the dependency chain.
    const V r2 = hn::Mul(r, r);
    const V p01 = hn::MulAdd(hn::Set(d, 1.6666665459e-1f), r,
                             hn::Set(d, 5.0000001201e-1f));
    const V p23 = hn::MulAdd(hn::Set(d, 8.3334519073e-3f), r,
                             hn::Set(d, 4.1665795894e-2f));
    const V p45 = hn::MulAdd(hn::Set(d, 1.9875691500e-4f), r,
                             hn::Set(d, 1.3981999507e-3f));
    const V p = hn::MulAdd(hn::MulAdd(p45, r2, p23), r2, p01);
    const V one = hn::Set(d, 1.0f);
    const V e = hn::MulAdd(p, r2, hn::Add(r, one));
    return ScaleByPow2(d, e, n);  // e^x = e^r 2^n
  }
}
//! [exp_nonpositive]

// 1 / a. For float, the hardware estimate r refined by Newton steps written
// as r + r (1 - a r): with a fused multiply-add the residual 1 - a r is
// exact, so a step squares the relative error and rounds once. AVX-512's
// estimate has 14 bits, so one step leaves (2^-14)^2 ~ 0.06 ulp; SSE/AVX2's
// has 12 bits and takes two. Within 1 ulp, 1 / 1 is exactly 1, and several
// times cheaper than a division. Double divides.
template <class D, class V>
HWY_INLINE V Reciprocal(D d, V a) {
  if constexpr (IsF32<D>() && HWY_TARGET != HWY_SCALAR) {
    const V one = hn::Set(d, 1);
    V r = hn::ApproximateReciprocal(a);
    // Only 512-bit vectors get the 14-bit vrcp14ps; Highway uses the 12-bit
    // rcpps for narrower vectors (the one-lane tails) even on AVX-512.
    constexpr bool kRcp14 =
        (HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL) &&
        hn::MaxLanes(D()) == 16;
    if constexpr (!kRcp14) r = hn::MulAdd(r, hn::NegMulAdd(a, r, one), r);
    return hn::MulAdd(r, hn::NegMulAdd(a, r, one), r);
  } else {
    return hn::Div(hn::Set(d, 1), a);
  }
}

// tanh(x). Float: the 13/6 rational minimax approximation of Eigen's
// generic_fast_tanh_float (Eigen/src/Core/MathFunctionsImpl.h, MPL2), with
// the division done as a refined reciprocal; tanh(x) = x below |x| = 4e-4,
// and the input is clamped where tanh rounds to +-1. Double: Highway's Tanh.
template <class D, class V>
HWY_INLINE V TanhFast(D d, V x) {
  if constexpr (!IsF32<D>()) {
    return hn::Tanh(d, x);
  } else {
    const V c = hn::Set(d, 7.99881172180175781f);
    const V xc = MinKeepNaN(d, c, MaxKeepNaN(d, hn::Neg(c), x));
    const V x2 = hn::Mul(xc, xc);
    // Numerator: odd powers, coefficients a13..a1, by Horner in x2.
    V p = hn::MulAdd(x2, hn::Set(d, -2.76076847742355e-16f),
                     hn::Set(d, 2.00018790482477e-13f));
    p = hn::MulAdd(x2, p, hn::Set(d, -8.60467152213735e-11f));
    p = hn::MulAdd(x2, p, hn::Set(d, 5.12229709037114e-08f));
    p = hn::MulAdd(x2, p, hn::Set(d, 1.48572235717979e-05f));
    p = hn::MulAdd(x2, p, hn::Set(d, 6.37261928875436e-04f));
    p = hn::MulAdd(x2, p, hn::Set(d, 4.89352455891786e-03f));
    p = hn::Mul(xc, p);
    V q = hn::MulAdd(x2, hn::Set(d, 1.19825839466702e-06f),
                     hn::Set(d, 1.18534705686654e-04f));
    q = hn::MulAdd(x2, q, hn::Set(d, 2.26843463243900e-03f));
    q = hn::MulAdd(x2, q, hn::Set(d, 4.89352518554385e-03f));
    const V t = hn::Mul(p, Reciprocal(d, q));
    return hn::IfThenElse(hn::Lt(hn::Abs(x), hn::Set(d, 0.0004f)), x, t);
  }
}

}  // namespace ffnn::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // FFNN_KERNELS_FASTMATH_INL_H_
