#pragma once
// Double-double arithmetic: a value held as an unevaluated sum hi + lo of two doubles, about
// 106 bits of precision. RollingStats keeps its running sums in it, so that adding and removing
// values leaves rounding residues of order 2^-106 of the sums instead of 2^-53.
//
// The algorithms are the classic error-free transformations (Knuth's TwoSum, TwoProduct through
// std::fma) and the "accurate" double-double addition of Bailey's QD library. They need
// round-to-nearest and no value-changing optimisation (-ffast-math); std::fma keeps TwoProduct
// exact whether or not the compiler contracts other multiply-adds.

#include <cmath>

namespace scanner::signals {

struct DoubleDouble {
  double hi = 0;
  double lo = 0;
};

namespace double_double {

// a + b exactly, when |a| >= |b| or a == 0.
inline DoubleDouble QuickTwoSum(double a, double b) {
  const double s = a + b;
  return {s, b - (s - a)};
}

// a + b exactly.
inline DoubleDouble TwoSum(double a, double b) {
  const double s = a + b;
  const double bb = s - a;
  return {s, (a - (s - bb)) + (b - bb)};
}

// a * b exactly (barring overflow and underflow).
inline DoubleDouble TwoProduct(double a, double b) {
  const double p = a * b;
  return {p, std::fma(a, b, -p)};
}

inline DoubleDouble Add(DoubleDouble a, DoubleDouble b) {
  DoubleDouble s = TwoSum(a.hi, b.hi);
  const DoubleDouble t = TwoSum(a.lo, b.lo);
  s.lo += t.hi;
  s = QuickTwoSum(s.hi, s.lo);
  s.lo += t.lo;
  return QuickTwoSum(s.hi, s.lo);
}

inline DoubleDouble Negate(DoubleDouble a) { return {-a.hi, -a.lo}; }

inline DoubleDouble Multiply(DoubleDouble a, DoubleDouble b) {
  DoubleDouble p = TwoProduct(a.hi, b.hi);
  p.lo += a.hi * b.lo + a.lo * b.hi;
  return QuickTwoSum(p.hi, p.lo);
}

inline DoubleDouble Divide(DoubleDouble a, double b) {
  const double q = a.hi / b;
  const DoubleDouble p = TwoProduct(q, b);
  const double r = ((a.hi - p.hi) - p.lo + a.lo) / b;
  return QuickTwoSum(q, r);
}

}  // namespace double_double
}  // namespace scanner::signals
