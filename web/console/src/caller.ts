import { createContext, useContext } from 'react';

/** The signed-in officer as the gateway sees them (`caller`, with the roster's name). */
export interface Caller {
  id: string;
  jurisdiction: string;
  agency: string | null;
  roles: string[];
  name: string | null;
  jurisdictionName: string | null;
}

export const CallerContext = createContext<Caller | null>(null);
export const useCaller = () => useContext(CallerContext)!;
