"""필수품목 우선 공급 Essential-supply allocation: the HiGHS LP (engine) and its request files (io)."""
