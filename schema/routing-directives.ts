/**
 * The hub's own composed directives. Regional subgraphs declare with them how the gateway must
 * route each root field (and fan out or follow a few entity fields); `@composeDirective` keeps them in the supergraph, where the gateway
 * reads them at start-up. They live under our own @link URL because Apollo Gateway refuses the
 * federation spec's access-control directives.
 */
export const ROUTING_SPEC_URL = 'https://yrd-hub.dev/routing/v0.1';

export const ROUTING_DIRECTIVES_SDL = `
"""
Root list field of a regional subgraph, served by asking every region in scope (the field's
\`regions\` argument, else all regions) and merging the pages by \`sortKey\` (ties broken by
region code). The field must return a connection (edges { cursor node } pageInfo { hasNextPage })
and take \`first\` and \`after\`; the gateway issues one cursor that resumes every region.
"""
directive @fanOut(sortKey: String!, descending: Boolean = true) on FIELD_DEFINITION

"""
Root field of a regional subgraph served by exactly one region: the one named by the argument
at \`argument\` (a dotted path such as "input.region"), whose value is a region code or a global
id ("330400:17") whose prefix is the owning region.
"""
directive @routeBy(argument: String!) on FIELD_DEFINITION

"""
A field of a regional subgraph that returns records of the same subgraph which may belong to
another region (their key carries the owner, as in "310000:17"). The query planner would let
the answering region resolve them; the gateway instead asks that region only for the keys and
fetches the records from their owners. The subgraph's resolver need return only the key.
"""
directive @crossRegion on FIELD_DEFINITION

"""
Who may read or call this field, or test the value of this argument or input field: \`rule\`
names the owning subgraph's rule (its words end the description), decided there per record and
on every filter and lookup of the value; \`roles\`, when given, the roles of which a caller needs
one — the gateway refuses, before planning, an operation selecting the field for a caller holding
none of them. On an object type (in a subgraph's own schema) it is the rule of each of the type's
fields that names none.
"""
directive @access(rule: String!, roles: [String!]) on FIELD_DEFINITION | OBJECT | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION
`;

export const SCHEMA_LINKS_SDL = `
extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@composeDirective"])
  @link(url: "${ROUTING_SPEC_URL}", import: ["@fanOut", "@routeBy", "@crossRegion", "@access"])
  @composeDirective(name: "@fanOut")
  @composeDirective(name: "@routeBy")
  @composeDirective(name: "@crossRegion")
  @composeDirective(name: "@access")
`;
