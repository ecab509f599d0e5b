"""invest: the Korea–US strategic investment MOU (한미 전략적 투자 MOU, report section 1 ②③).

The project pipeline and its pre-review workflow, the commercial-reasonableness screen of
each project's cash flows under the 50:50-then-90:10 split, and the capital-call schedule
under the annual cap. Every MOU term is a dated parameter under ``invest.``.
"""
