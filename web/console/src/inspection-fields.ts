/** The five steps of 综合查一次, in order. */
export const INSPECTION_STEPS = ['WARNING', 'PLAN', 'DISPATCH', 'INSPECT', 'EVALUATE'] as const;

export const INSPECTION = `id region step version targetName targetCreditCode plannedAt plannedUntil leadJurisdiction leadAgency leadAgencyName
  scenario { code name }
  target { name creditCode address jurisdiction }
  participants { id region jurisdiction agency agencyName taskStatus taskStatusAt officer { id name } task { id region status findings { severity description } } }
  timeline { step at note officer { id name } }
  evaluation { score comment evaluatedAt evaluatedBy { id name } }`;
