// Dev helper: screenshot one path. node shot.mjs /path out.png [width] [dark]
import { serve, launch, openPage, load } from "./harness.mjs";
const [path, out, width, dark] = process.argv.slice(2);
const s = await serve(), b = await launch();
const p = await openPage(b, { viewport: { width: Number(width || 1280), height: 900 }, colorScheme: dark ? "dark" : "light" });
await load(p, s.url + path);
await p.waitForTimeout(300);
await p.screenshot({ path: out, fullPage: true });
console.log("errors:", p.errors);
await b.close(); await s.close();
