"""Pure domain of the innovation service: dataclasses and rules, no Flask, pymongo or Kafka.

Modules:
    vocab        the enumerations (stages, pillars, initiators, ...)
    parsing      field readers that collect every input problem into one ValidationProblem
    innovation   the innovation profile and its validating constructors
    stages       stage changes (initiative -> trial -> implemented, discontinued) and verification
    milestones   milestones per innovation, due-soon / overdue detection
    quota        quota policy and the compliance report, changes between two reports
    masterplan   master plan, versions (reviews) and programmes
    progress     programme progress rolled up from innovations, the master-plan review report
    maturity     maturity score 0-100 per unit and region with the innovation-index predicates
    stats        counts per pillar, type, stage, form, initiator and year on year
    search       validated innovation filters and the matching rule
    export       compliance report as rows, CSV text or XLSX bytes
"""
