import { createContext, useContext } from 'react';

/** Region codes to names (from the directory's `regions`), for labels and counts. */
export const RegionsContext = createContext<Map<string, string>>(new Map());
export const useRegions = () => useContext(RegionsContext);
