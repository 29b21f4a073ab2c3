import { DocumentNode, GraphQLError, GraphQLSchema, parse, validate } from 'graphql';

/**
 * Subscription documents parsed and validated once per text. A thousand consoles subscribe with
 * the same few queries; each kept its own parsed document (and what is built from it) for as
 * long as it stayed connected, a few kilobytes of every idle subscriber. A document is never
 * changed after parsing, so one serves them all.
 */
export class SubscriptionDocuments {
  private readonly known = new Map<string, DocumentNode | readonly GraphQLError[]>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly capacity = 1000,
  ) {}

  /** The document, or the errors that refuse it (a syntax error, or a document not valid against the schema). */
  documentFor(query: string): DocumentNode | readonly GraphQLError[] {
    const known = this.known.get(query);
    if (known) return known;
    let result: DocumentNode | readonly GraphQLError[];
    try {
      const document = parse(query);
      const errors = validate(this.schema, document);
      result = errors.length ? errors : document;
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      result = [error];
    }
    if (this.known.size >= this.capacity) this.known.delete(this.known.keys().next().value!);
    this.known.set(query, result);
    return result;
  }
}
