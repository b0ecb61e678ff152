import Testing

@testable import Report

/// Reference values come from SciPy 1.17 (`scipy.stats`), an independent implementation.
@Suite struct StatisticsTests {
  @Test func meanAndSampleStd() {
    let s = Summary([73.1, 72.4, 74.0])
    #expect(s.n == 3)
    #expect(abs(s.mean! - 73.166_666_666_666_67) < 1e-12)
    #expect(abs(s.std! - 0.802_080_627_701_061_8) < 1e-12)
  }

  @Test func oneValueHasNoSpread() {
    let s = Summary([71.2])
    #expect(s.mean == 71.2)
    #expect(s.std == nil)
    #expect(s.confidenceInterval() == nil)
    #expect(Summary([]).mean == nil)
  }

  @Test func studentTQuantilesAndCDF() {
    #expect(abs(StudentT(degreesOfFreedom: 2).quantile(0.975) - 4.302_652_729_749_462) < 1e-9)
    #expect(abs(StudentT(degreesOfFreedom: 4.5).quantile(0.975) - 2.658_912_347_204_403_4) < 1e-9)
    #expect(abs(StudentT(degreesOfFreedom: 3.3).cdf(-2.1) - 0.059_143_040_145_953_88) < 1e-12)
    #expect(abs(StudentT(degreesOfFreedom: 7).cdf(0) - 0.5) < 1e-15)
  }

  @Test func welchMatchesSciPy() throws {
    let w = try #require(WelchTest(Summary([73.1, 72.4, 74.0]), Summary([70.2, 71.5, 70.9])))
    #expect(abs(w.t - 3.857_217_261_187_167) < 1e-10)
    #expect(abs(w.degreesOfFreedom - 3.836_786_691_146_166) < 1e-10)
    #expect(abs(w.p - 0.019_661_968_398_938_6) < 1e-10)

    let v = try #require(WelchTest(Summary([1, 2, 3, 4, 5]), Summary([2.5, 3.1, 2.9])))
    #expect(abs(v.t - 0.228_694_676_873_173_17) < 1e-10)
    #expect(abs(v.degreesOfFreedom - 4.478_585_569_516_043) < 1e-10)
    #expect(abs(v.p - 0.829_176_034_100_705_6) < 1e-10)
  }

  @Test func welchNeedsTwoValuesAndSpread() {
    #expect(WelchTest(Summary([1]), Summary([2, 3])) == nil)
    #expect(WelchTest(Summary([1, 1]), Summary([1, 1])) == nil)
  }

  @Test func confidenceIntervalUsesT() throws {
    let ci = try #require(Summary([1, 2, 3, 4, 5]).confidenceInterval())
    #expect(abs(ci.lowerBound - 1.036_756_838_522_442_8) < 1e-9)
    #expect(abs(ci.upperBound - 4.963_243_161_477_557) < 1e-9)
  }
}
