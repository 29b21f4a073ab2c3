/**
 * The hub's own composed directives. Regional subgraphs declare with them how the gateway must
 * route each root field; `@composeDirective` keeps them in the supergraph, where the gateway
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
`;

export const SCHEMA_LINKS_SDL = `
extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@composeDirective"])
  @link(url: "${ROUTING_SPEC_URL}", import: ["@fanOut", "@routeBy"])
  @composeDirective(name: "@fanOut")
  @composeDirective(name: "@routeBy")
`;
