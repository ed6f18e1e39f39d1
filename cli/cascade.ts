/** `--cascade` of `fedgate delete`: the mode → the DELETE's propagationPolicy. */
export const CASCADE_POLICIES = { background: 'Background', foreground: 'Foreground', orphan: 'Orphan' } as const;
