import { createContext, useContext } from 'react';
import type { ConsoleMeQuery } from './generated/graphql';

/** The signed-in officer as the gateway sees them (`caller`, with the roster's name). */
export type Caller = ConsoleMeQuery['caller'] & {
  name: string | null;
  jurisdictionName: string | null;
};

export const CallerContext = createContext<Caller | null>(null);
export const useCaller = () => useContext(CallerContext)!;
