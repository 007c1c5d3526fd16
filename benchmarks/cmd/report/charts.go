package main

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// charts writes the PNGs for the sections that have data.
func (r *report) charts() error {
	for _, c := range []struct {
		file string
		make func() ([][]*plot.Plot, error)
	}{
		{"strings.png", r.stringsChart},
		{"types.png", r.typesChart},
		{"zset.png", r.zsetChart},
		{"memory.png", r.memoryChart},
		{"gclat.png", r.gclatChart},
		{"resp.png", r.respChart},
	} {
		plots, err := c.make()
		if err != nil {
			return fmt.Errorf("%s: %w", c.file, err)
		}
		if plots == nil {
			continue
		}
		if err := save(plots, filepath.Join(r.out, c.file)); err != nil {
			return err
		}
	}
	return nil
}

// save draws a grid of plots (rows of columns) into one PNG.
func save(plots [][]*plot.Plot, file string) error {
	rows, cols := len(plots), len(plots[0])
	w, h := vg.Length(cols)*6*vg.Inch, vg.Length(rows)*4*vg.Inch
	img := vgimg.New(w, h)
	dc := draw.New(img)
	t := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 4,
		PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
	canvases := plot.Align(plots, t, dc)
	for j := range plots {
		for i, p := range plots[j] {
			if p != nil {
				p.Draw(canvases[j][i])
			}
		}
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// bars makes a grouped bar chart: one group per category, one bar per
// series; values[s][c] (NaN or <= 0: no bar).
func bars(title, ylabel string, categories, series []string, values [][]float64) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.Y.Label.Text = ylabel
	p.Legend.Top = true
	p.Legend.Left = false
	w := vg.Points(float64(min(14, 64/max(1, len(series)))))
	top := 0.0
	for s, name := range series {
		vs := make(plotter.Values, len(categories))
		for c := range categories {
			if v := values[s][c]; v > 0 {
				vs[c] = v
				top = max(top, v)
			}
		}
		b, err := plotter.NewBarChart(vs, w)
		if err != nil {
			return nil, err
		}
		b.LineStyle.Width = 0
		b.Color = colorOf(s)
		b.Offset = w * vg.Length(float64(s)-float64(len(series)-1)/2)
		p.Add(b)
		p.Legend.Add(name, b)
	}
	p.NominalX(categories...)
	p.Add(plotter.NewGrid())
	// Headroom above the tallest bar for the legend.
	p.Y.Min = 0
	p.Y.Max = top / (1 - legendShare(len(series)))
	return p, nil
}

// palette has more colors than plotutil's seven, so that eight string
// peers get eight colors (Tableau 10).
var palette = []color.RGBA{
	{0x4e, 0x79, 0xa7, 0xff}, {0xf2, 0x8e, 0x2b, 0xff}, {0xe1, 0x57, 0x59, 0xff}, {0x76, 0xb7, 0xb2, 0xff},
	{0x59, 0xa1, 0x4f, 0xff}, {0xed, 0xc9, 0x48, 0xff}, {0xb0, 0x7a, 0xa1, 0xff}, {0xff, 0x9d, 0xa7, 0xff},
	{0x9c, 0x75, 0x5f, 0xff}, {0xba, 0xb0, 0xac, 0xff},
}

func colorOf(i int) color.Color { return palette[i%len(palette)] }

// legendShare is the part of a plot's height to leave free at the top for
// a legend of n entries.
func legendShare(n int) float64 { return min(0.6, 0.05+0.055*float64(n)) }

// lineChart makes a line-and-points chart on a log y axis: x is the category
// index (or xs, when given, on a log x axis), one line per series.
func lineChart(title, xlabel, ylabel string, categories []string, xs []float64, series []string, values [][]float64) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	if xs != nil {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	p.Legend.Top = true
	p.Legend.Left = true
	lo, hi := math.Inf(1), math.Inf(-1)
	for s, name := range series {
		var pts plotter.XYs
		for c := range values[s] {
			if v := values[s][c]; v > 0 {
				lo, hi = min(lo, v), max(hi, v)
				x := float64(c)
				if xs != nil {
					x = xs[c]
				}
				pts = append(pts, plotter.XY{X: x, Y: v})
			}
		}
		if len(pts) == 0 {
			continue
		}
		l, sc, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, err
		}
		l.Color = colorOf(s)
		sc.Color = colorOf(s)
		sc.Shape = plotutil.Shape(s)
		p.Add(l, sc)
		p.Legend.Add(name, l, sc)
	}
	if xs == nil {
		p.NominalX(categories...)
	}
	p.Add(plotter.NewGrid())
	if hi > 0 {
		// Headroom (in log units) above the highest point for the legend.
		l0, l1 := math.Log10(lo)-0.1, math.Log10(hi)+0.1
		f := legendShare(len(series))
		p.Y.Min = math.Pow(10, l0)
		p.Y.Max = math.Pow(10, l1+(l1-l0)*f/(1-f))
	}
	return p, nil
}

func (r *report) stringsChart() ([][]*plot.Plot, error) {
	peers := r.peersIn("Strings/")
	if len(peers) < 2 {
		return nil, nil
	}
	var row []*plot.Plot
	for _, cpu := range r.cpus("Strings/") {
		cats := make([]string, len(stringOps))
		vals := make([][]float64, len(peers))
		for c, op := range stringOps {
			cats[c] = stringOpN[op]
		}
		for s, pr := range peers {
			vals[s] = make([]float64, len(stringOps))
			for c, op := range stringOps {
				if b, ok := r.get(stringsName(pr, op), cpu); ok {
					vals[s][c] = b.ns
				}
			}
		}
		p, err := bars("Strings, 1M keys, Zipf(1.01), -cpu "+cpu+" (lower is better)", "ns/op", cats, peers, vals)
		if err != nil {
			return nil, err
		}
		row = append(row, p)
	}
	return [][]*plot.Plot{row}, nil
}

func (r *report) typesChart() ([][]*plot.Plot, error) {
	peers := r.peersIn("Types/")
	if len(peers) < 2 {
		return nil, nil
	}
	cpu := r.typesCPU()
	vals := make([][]float64, len(peers))
	for s, pr := range peers {
		vals[s] = make([]float64, len(typeOps))
		for c, op := range typeOps {
			if b, ok := r.get(typesName(pr, op), cpu); ok {
				vals[s][c] = b.ns
			}
		}
	}
	p, err := lineChart("Data types, one command per op (lower is better)", "", "ns/op (log)", typeOps, nil, peers, vals)
	if err != nil {
		return nil, err
	}
	return [][]*plot.Plot{{p}}, nil
}

func (r *report) zsetChart() ([][]*plot.Plot, error) {
	peers := r.peersIn("ZSet/")
	sizes := r.zsizes()
	if len(peers) < 2 || len(sizes) == 0 {
		return nil, nil
	}
	cpu := r.typesCPU()
	xs := make([]float64, len(sizes))
	for i, n := range sizes {
		xs[i], _ = strconv.ParseFloat(n, 64)
	}
	grid := [][]*plot.Plot{make([]*plot.Plot, 2), make([]*plot.Plot, 2)}
	for i, op := range zsetOps {
		vals := make([][]float64, len(peers))
		for s, pr := range peers {
			vals[s] = make([]float64, len(sizes))
			for c, n := range sizes {
				if b, ok := r.get(zsetName(n, pr, op), cpu); ok {
					vals[s][c] = b.ns
				}
			}
		}
		p, err := lineChart(op, "members (log)", "ns/op (log)", nil, xs, peers, vals)
		if err != nil {
			return nil, err
		}
		grid[i/2][i%2] = p
	}
	return grid, nil
}

func (r *report) memoryChart() ([][]*plot.Plot, error) {
	if len(r.memkey) == 0 {
		return nil, nil
	}
	var cats, peers []string
	idx := map[string]int{}
	pidx := map[string]int{}
	for _, row := range r.memkey {
		if len(row) < 11 {
			continue
		}
		cat := row[1] + " " + humanN(row[2])
		if _, ok := idx[cat]; !ok {
			idx[cat] = len(cats)
			cats = append(cats, cat)
		}
		if _, ok := pidx[row[0]]; !ok {
			pidx[row[0]] = len(peers)
			peers = append(peers, row[0])
		}
	}
	var plots []*plot.Plot
	for _, col := range []struct {
		i     int
		title string
	}{{4, "Bytes per key: heap (Redis: used_memory), 16-byte values"}, {5, "Bytes per key: RSS growth"}} {
		vals := make([][]float64, len(peers))
		for s := range vals {
			vals[s] = make([]float64, len(cats))
		}
		for _, row := range r.memkey {
			if len(row) < 11 {
				continue
			}
			v, err := strconv.ParseFloat(row[col.i], 64)
			if err == nil {
				vals[pidx[row[0]]][idx[row[1]+" "+humanN(row[2])]] = v
			}
		}
		p, err := bars(col.title, "bytes per key / member / field", cats, peers, vals)
		if err != nil {
			return nil, err
		}
		limit := plotter.NewFunction(func(float64) float64 { return 80 })
		limit.Color = color.RGBA{R: 200, A: 255}
		limit.Dashes = []vg.Length{vg.Points(4), vg.Points(4)}
		p.Add(limit)
		p.Legend.Add("bar (string keys): 80", limit)
		plots = append(plots, p)
	}
	return [][]*plot.Plot{plots}, nil
}

func (r *report) gclatChart() ([][]*plot.Plot, error) {
	if len(r.gclat) == 0 {
		return nil, nil
	}
	cats := []string{"p50", "p99", "p99.9", "max"}
	var peers []string
	var vals [][]float64
	keys := ""
	for _, row := range r.gclat {
		if len(row) < 8 {
			continue
		}
		keys = humanN(row[1])
		peers = append(peers, row[0])
		v := make([]float64, 4)
		for i := range v {
			v[i], _ = strconv.ParseFloat(row[3+i], 64)
		}
		vals = append(vals, v)
	}
	p, err := lineChart("GET latency, "+keys+" keys resident, writer running, GC cycles (lower is better)", "", "µs (log)", cats, nil, peers, vals)
	if err != nil {
		return nil, err
	}
	return [][]*plot.Plot{{p}}, nil
}

func (r *report) respChart() ([][]*plot.Plot, error) {
	if len(r.resp) == 0 {
		return nil, nil
	}
	var row []*plot.Plot
	for _, pl := range []string{"1", "16"} {
		servers := []string{"jackdaw", "redis"}
		vals := make([][]float64, 2)
		for s, srv := range servers {
			vals[s] = make([]float64, len(respTests))
			for c, test := range respTests {
				if v, _, ok := r.respMedian(srv, pl, test); ok {
					vals[s][c] = v / 1000
				}
			}
		}
		p, err := bars("redis-benchmark -c 50 -P "+pl+" (higher is better)", "thousand requests/s", respTests, []string{"jackdaw respserver", "redis-server"}, vals)
		if err != nil {
			return nil, err
		}
		p.X.Tick.Label.Rotation = 0.6
		p.X.Tick.Label.XAlign = draw.XRight
		row = append(row, p)
	}
	return [][]*plot.Plot{row}, nil
}
