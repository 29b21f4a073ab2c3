/**
 * The role of officers who build apps on the hub (OfficerRole.DEVELOPER on the roster, the same
 * name): where the gateway answers only trusted documents (HUB_TRUSTED_DOCUMENTS=require),
 * a caller holding it may still send free-form operations, to develop and test them.
 */
export const DEVELOPER_ROLE = 'DEVELOPER';
