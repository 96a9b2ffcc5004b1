/** How a lot's status looks in the genealogy picture (SVG and PDF share it). */
export interface StatusStyle {
  fill: string;
  stroke: string;
  label: string;
}

const STYLES: Record<string, StatusStyle> = {
  released: { fill: '#d9f2dd', stroke: '#2e7d32', label: 'released' },
  rejected: { fill: '#fbdada', stroke: '#c62828', label: 'rejected' },
  on_hold: { fill: '#ffe4c2', stroke: '#e65100', label: 'on hold' },
  aborted: { fill: '#e6e6e6', stroke: '#616161', label: 'aborted' },
};
const RESTRICTED: StatusStyle = { fill: '#fff6cc', stroke: '#a68a00', label: 'restricted' };
const UNTRACKED: StatusStyle = { fill: '#ffffff', stroke: '#9e9e9e', label: 'not run by plantflow' };

export function statusStyle(status: string | undefined, tracked: boolean): StatusStyle {
  if (!tracked || !status) return UNTRACKED;
  return STYLES[status] ?? { ...RESTRICTED, label: status.replace(/_/g, ' ') };
}
